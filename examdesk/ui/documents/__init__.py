"""Documents where the user is: the panel that issues one kind about the subject on show, and the preview."""
