"""Builds the Cython kernels and says which folders become which packages. Everything else
is declared in pyproject.toml.

Switches (copied from SQLAlchemy's DISABLE_/REQUIRE_ pattern):
  AISITE_REQUIRE_EXT=1  a kernel that fails to compile is an error (CI and release builds)
  AISITE_DISABLE_EXT=1  skip compiling; the plain-Python reference kernels are used
"""
import glob
import os
import runpy

import numpy
from setuptools import Extension, find_packages, setup

require = os.environ.get("AISITE_REQUIRE_EXT") == "1"
disable = os.environ.get("AISITE_DISABLE_EXT") == "1"

# The one import name the installed distribution exposes. The checkout keeps core/ and app/
# at its top; installed they become aisite.core and aisite.app, and data/ and resources/
# become package data beside them (core/paths.py finds them with importlib).
IMPORT_PACKAGE = "aisite"
CODE_FOLDERS = ("core", "app")
DATA_FOLDERS = {"data": ["*.csv", "*.md", "profiles/*.csv", "samples/*.json"],
                "resources": ["icons/*.svg", "styles/*.qss"]}
# Cython finds a cimported .pxd by its dotted name in a folder tree of that shape; the
# checkout has core/kernels, not aisite/core/kernels, so the .pxd files are staged there.
CYTHON_INCLUDE = os.path.join("build", "cython-include")


def qualified(name: str) -> str:
    """A package name under the import package."""
    return f"{IMPORT_PACKAGE}.{name}"


def python_packages():
    """Packages and where their folders are: aisite.core -> core/, and so on."""
    found = find_packages(include=[f"{f}" for f in CODE_FOLDERS] + [f"{f}.*" for f in CODE_FOLDERS])
    packages = [IMPORT_PACKAGE] + [qualified(p) for p in found]
    package_dir = {IMPORT_PACKAGE: IMPORT_PACKAGE, **{qualified(f): f for f in CODE_FOLDERS}}
    package_data = {qualified("core.kernels"): ["*.pyx", "*.pxd"]}
    for folder, patterns in DATA_FOLDERS.items():
        packages.append(qualified(folder))
        package_dir[qualified(folder)] = folder
        package_data[qualified(folder)] = patterns
    return packages, package_dir, package_data


def stage_cython_headers():
    for pxd in sorted(glob.glob("core/**/*.pxd", recursive=True)):
        target = os.path.join(CYTHON_INCLUDE, *IMPORT_PACKAGE.split("."), pxd)
        with open(pxd, "rb") as source:
            content = source.read()
        if os.path.exists(target):
            with open(target, "rb") as staged:
                if staged.read() == content:
                    continue  # an unchanged copy keeps its time, so Cython does not recompile
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as copy:
            copy.write(content)


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
            "aisite.core.kernels." + os.path.splitext(os.path.basename(path))[0],
            [path],
            include_dirs=[numpy.get_include()],
            define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
            extra_compile_args=["-O3"] if os.name != "nt" else ["/O2"],
        )
        for path in sources
    ]
    stage_cython_headers()
    extensions = cythonize(
        extensions,
        include_path=[CYTHON_INCLUDE],
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


packages, package_dir, package_data = python_packages()
# The C files Cython generates beside the .pyx are build products, not package data.
setup(packages=packages, package_dir=package_dir, package_data=package_data,
      exclude_package_data={"": ["*.c", "*.html"]},
      ext_modules=kernel_extensions())
