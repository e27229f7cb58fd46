"""Load test: Locust against gunicorn on the demo city.
``python -m benchmarks.load`` prepares the data and runs it; the users are in
``locustfile.py``; the figures are in benchmarks/README.md."""
