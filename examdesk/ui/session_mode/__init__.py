"""Session mode: the invigilator's full-screen window, its candidate table and its forms."""
