"""Runs ../shared/bench/serve.py with TCP_NODELAY on every connection it accepts.

serve.py writes a response's headers and its body in two sends; with Nagle's algorithm on, the
body's last segment then waits for the client's delayed ACK of the headers (up to 40 ms on
Linux), so every response carries a stall that no real web server has. The feed benches run
the server as it is by default (the setup the issues' figures were measured on) and through this
wrapper with NODELAY=1.

Usage: python3 serve_nodelay.py PATH/TO/serve.py [serve.py's arguments...]
"""

import runpy
import socketserver
import sys

socketserver.StreamRequestHandler.disable_nagle_algorithm = True
script = sys.argv.pop(1)
sys.argv[0] = script
runpy.run_path(script, run_name="__main__")
