"""`servicepark serve --port N`: serve the application, with a background task worker.

Uses Django's threaded development-grade server for the single-node demo; production runs
gunicorn (see docs/deployment.md). The task worker (django-tasks-db) runs as a child process
so that web imports progress while pages are served.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management.base import BaseCommand, CommandParser
from django.core.servers.basehttp import WSGIServer, run
from django.core.wsgi import get_wsgi_application


class Command(BaseCommand):
    help = "Serve Servicepark on 127.0.0.1 (and run the background task worker)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--no-worker", action="store_true", help="do not start a task worker")

    def handle(self, *args: Any, **options: Any) -> None:
        from servicepark.common.actors import SystemActor
        from servicepark.registry.services.import_jobs import import_jobs_recover

        # Imports that a stopped server or worker left "running" are marked as interrupted.
        import_jobs_recover(actor=SystemActor("serve"))
        worker = None
        if not options["no_worker"]:
            worker = subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "servicepark.cli",
                    "db_worker",
                    "--interval",
                    "0.5",
                    "--no-reload",
                ],
                env=os.environ.copy(),
            )
        handler = StaticFilesHandler(get_wsgi_application())
        self.stdout.write(f"Serving on http://{options['host']}:{options['port']}/ (Ctrl+C stops)")
        try:
            run(
                options["host"],
                options["port"],
                handler,
                ipv6=False,
                threading=True,
                server_cls=WSGIServer,
            )
        except KeyboardInterrupt:
            pass
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
