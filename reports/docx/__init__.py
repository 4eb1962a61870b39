"""Report drafts as Word documents (python-docx): the official layout, Form 1's and Form 2's contents."""
