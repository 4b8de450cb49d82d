"""compensation's forms, one module per area; views import them from their own module."""
