"""Build the compiled core; all metadata lives in pyproject.toml."""
import os
import platform

import numpy
from Cython.Build import cythonize
from setuptools import Extension, setup


def f16c_flags() -> list[str]:
    """-mf16c where the building machine has F16C (x86 since 2012) and the
    build is for it: the segmenter widens its float16 weights four at a time.
    HANLEX_PORTABLE=1 (wheels for other machines) keeps the exact portable code."""
    if os.environ.get("HANLEX_PORTABLE") or platform.machine().lower() not in ("x86_64", "amd64"):
        return []
    try:
        with open("/proc/cpuinfo") as f:
            return ["-mf16c"] if " f16c" in f.read() else []
    except OSError:
        return []


# one extension per module of src/hanlex/_core (their .pxd files are the interfaces)
MODULES = ["constants", "templates", "hashing", "chars", "hashindex", "features", "regrouped",
           "decode", "decode_bmes", "scan", "compiled", "words", "learn", "thulac"]
# probes exposes internal steps to the tests only: built for them (.ci/run sets
# HANLEX_TEST_PROBES=1), never part of a wheel built for users
if os.environ.get("HANLEX_TEST_PROBES"):
    MODULES.append("probes")

extensions = [
    Extension(
        f"hanlex._core.{name}",
        [f"src/hanlex/_core/{name}.pyx"],
        include_dirs=[numpy.get_include()],
        define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
        extra_compile_args=["-O3"] + f16c_flags(),
    )
    for name in MODULES
]

setup(ext_modules=cythonize(extensions, language_level=3, include_path=["src"],
                            compiler_directives={"embedsignature": True}))
