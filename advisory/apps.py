from django.apps import AppConfig


class AdvisoryConfig(AppConfig):
    name = "advisory"

    def ready(self) -> None:
        from advisory import receivers

        receivers.connect()
