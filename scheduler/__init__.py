"""Planning engines of cadrecare that run without Django (the rest roster solver)."""
