from django.core.management.base import BaseCommand

from workflow.diagram import lifecycle_mermaid


class Command(BaseCommand):
    help = "Print the dossier lifecycle (mermaid), generated from the django-fsm transitions."

    def handle(self, *args, **options):
        self.stdout.write("```mermaid\n" + lifecycle_mermaid() + "```")
