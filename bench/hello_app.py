"""The bare reference of bench/forum.py: a Flask app that answers "hello", served by the same
gunicorn settings as the workspace, so that the forum pages can be read as a share of it."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "hello"
