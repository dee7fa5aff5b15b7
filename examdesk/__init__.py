"""ExamDesk: the examencommissie's desk for instruments, sessions, incidents and documents."""

__version__ = "0.1.0"
APP_NAME = "ExamDesk"
