from django.apps import AppConfig


class CompensationConfig(AppConfig):
    name = "compensation"

    def ready(self) -> None:
        from compensation import receivers

        receivers.connect()
