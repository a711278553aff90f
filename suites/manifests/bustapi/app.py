"""BustAPI's Quick Start, plus the JSON benchmark route, for bustbench.

Host, port and workers come from the command line (the target manifest fills
them in). Values are handed to app.run() as given, so that the suite sees
BustAPI's own handling of bad input, not this script's.
"""

import argparse

from bustapi import BustAPI

app = BustAPI()


@app.route("/")
def hello():
    return {"message": "Hello, World!"}


@app.route("/json")
def json_route():
    return {"hello": "world"}


def as_given(text):
    """An integer when it looks like one, otherwise the text itself (for the INPUT checks)."""
    try:
        return int(text)
    except ValueError:
        return text


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="5000")
    parser.add_argument("--workers", default=None)
    parser.add_argument("--debug", action="store_true")
    args = parser.parse_args()
    app.run(
        host=args.host,
        port=as_given(args.port),
        workers=None if args.workers is None else as_given(args.workers),
        debug=args.debug,
    )
