"""Build the compiled core; all metadata lives in pyproject.toml."""
import os
import platform

import numpy
from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

JOBS = os.cpu_count() or 1


class ParallelBuildExt(build_ext):
    """Compiles the extensions side by side (pip install . gives no -j of its own)."""

    def finalize_options(self):
        super().finalize_options()
        if not self.parallel:
            self.parallel = JOBS


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


# One extension per compiled module, listed in build order: the shared
# primitives in _core (their .pxd files are the interfaces), then each room's
# compiled part next to its Python.
MODULES = [
    "_core.constants", "_core.templates", "_core.hashing", "_core.chars",
    "_core.hashindex", "_core.features",
    "pretokenize._scan",
    "decoding._regrouped", "decoding._decode", "decoding._decode_bmes",
    "decoding._compiled", "decoding._words",
    "learn._learn",
    "thulac._decode",
]
# probes exposes internal steps to the tests only: built for them (.ci/run sets
# HANLEX_TEST_PROBES=1), never part of a wheel built for users
if os.environ.get("HANLEX_TEST_PROBES"):
    MODULES.append("_core.probes")

extensions = [
    Extension(
        f"hanlex.{name}",
        [f"src/hanlex/{name.replace('.', '/')}.pyx"],
        include_dirs=[numpy.get_include()],
        define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
        extra_compile_args=["-O3"] + f16c_flags(),
    )
    for name in MODULES
]

setup(ext_modules=cythonize(extensions, language_level=3, include_path=["src"], nthreads=JOBS,
                            compiler_directives={"embedsignature": True}),
      cmdclass={"build_ext": ParallelBuildExt})
