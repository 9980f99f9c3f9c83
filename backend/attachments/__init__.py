"""Content-addressed attachments (photos, signatures, documents): resumable upload, SHA-256 verified."""
