"""Version 1 of every consent text, per language: what an organization starts with.

Kept apart from the services so the migration that gives existing organizations their
texts reads the same words as `ensure_consent_texts`, without importing service code."""

from __future__ import annotations

# Version 1 of every text: the scope's sentence and one more plain sentence. Stored as data,
# per language, because the words a person agrees to are kept exactly as they read them.
DEFAULT_TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "attribute_to_staff": (
            "Staff can see my name on what I say. If I say no, staff see my words without my name."
        ),
        "quote_anonymously": (
            "My words can be quoted without my name in a report, after I approve the exact "
            "words. I see every quote before it is used, and I can say no to it."
        ),
        "count_in_reports": (
            "What I do can be counted in reports that show numbers, not people. "
            "Reports only ever show numbers about groups of at least five people."
        ),
        "contact_email": (
            "You can e-mail me that there is an update. "
            "The e-mail only says there is an update, never what it is about."
        ),
        "contact_sms": (
            "You can text me that there is an update. "
            "The text only says there is an update, never what it is about."
        ),
    },
    "es": {
        "attribute_to_staff": (
            "El personal puede ver mi nombre en lo que digo. "
            "Si digo que no, el personal ve mis palabras sin mi nombre."
        ),
        "quote_anonymously": (
            "Mis palabras pueden citarse sin mi nombre en un informe, después de que yo "
            "apruebe las palabras exactas. Veo cada cita antes de que se use y puedo decir "
            "que no."
        ),
        "count_in_reports": (
            "Lo que hago puede contarse en informes que muestran números, no personas. "
            "Los informes solo muestran números de grupos de al menos cinco personas."
        ),
        "contact_email": (
            "Pueden enviarme un correo para decirme que hay una novedad. "
            "El correo solo dice que hay una novedad, nunca de qué se trata."
        ),
        "contact_sms": (
            "Pueden enviarme un mensaje de texto para decirme que hay una novedad. "
            "El mensaje solo dice que hay una novedad, nunca de qué se trata."
        ),
    },
}
