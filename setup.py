"""Builds the Cython kernels. Everything else is declared in pyproject.toml.

Switches (copied from SQLAlchemy's DISABLE_/REQUIRE_ pattern):
  AISITE_REQUIRE_EXT=1  a kernel that fails to compile is an error (CI and release builds)
  AISITE_DISABLE_EXT=1  skip compiling; the plain-Python reference kernels are used
"""
import glob
import os
import runpy

import numpy
from setuptools import Extension, setup

require = os.environ.get("AISITE_REQUIRE_EXT") == "1"
disable = os.environ.get("AISITE_DISABLE_EXT") == "1"


def kernel_extensions():
    if disable:
        return []
    from Cython.Build import cythonize

    # The kernels cimport their indices from _layout.pxd, written from core/kernels/layout.py
    # (run by path: the package itself need not import before it is built). Unchanged
    # content leaves the committed file untouched.
    runpy.run_path(os.path.join("core", "kernels", "layout.py"))["write_pxd"]()
    sources = sorted(glob.glob("core/kernels/_*_cy.pyx"))
    extensions = [
        Extension(
            "core.kernels." + os.path.splitext(os.path.basename(path))[0],
            [path],
            include_dirs=[numpy.get_include()],
            define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
            extra_compile_args=["-O3"] if os.name != "nt" else ["/O2"],
        )
        for path in sources
    ]
    extensions = cythonize(
        extensions,
        compiler_directives={
            "language_level": 3,
            "boundscheck": False,
            "wraparound": False,
            "cdivision": True,
            "initializedcheck": False,
        },
    )
    # cythonize() drops optional=True, so set it afterwards (see packaging notes).
    for ext in extensions:
        ext.optional = not require
    return extensions


# A wheel carries the catalogue, profiles, samples and app resources under share/aisite/
# (core/paths.py finds them there).
data_files = []
for folder in sorted({os.path.dirname(f) for f in glob.glob("data/**/*", recursive=True)
                      + glob.glob("resources/**/*", recursive=True) if os.path.isfile(f)}):
    files = [f for f in glob.glob(folder + "/*") if os.path.isfile(f)]
    data_files.append(("share/aisite/" + folder, files))

setup(ext_modules=kernel_extensions(), data_files=data_files)
