"""ExamDesk: the examencommissie's desk for instruments, sessions, incidents and documents."""

import atexit

from examdesk import method_code

__version__ = "0.1.0"
APP_NAME = "ExamDesk"

method_code.install()            # before any module defines a dataclass (issue 16: half the import time after login)
atexit.register(method_code.save)
