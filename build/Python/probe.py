"""Describe the interpreter the scenarios run under, as one JSON line.

Usage: python probe.py [MODULE...]   (each module is checked for importability, not imported)
"""

import importlib.util
import json
import platform
import sys
import sysconfig

print(json.dumps({
    "executable": sys.executable,
    "version": platform.python_version(),
    "implementation": platform.python_implementation(),
    "scripts": sysconfig.get_path("scripts"),
    "modules": {name: importlib.util.find_spec(name) is not None for name in sys.argv[1:]},
}))
