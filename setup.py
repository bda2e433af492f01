"""Build the compiled core; all metadata lives in pyproject.toml."""
import numpy
from Cython.Build import cythonize
from setuptools import Extension, setup

# one extension per module of src/hanlex/_core (their .pxd files are the interfaces)
MODULES = ["constants", "hashing", "chars", "hashindex", "features", "regrouped", "decode",
           "decode_bmes", "scan", "words", "learn", "probes", "thulac"]

extensions = [
    Extension(
        f"hanlex._core.{name}",
        [f"src/hanlex/_core/{name}.pyx"],
        include_dirs=[numpy.get_include()],
        define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
        extra_compile_args=["-O3"],
    )
    for name in MODULES
]

setup(ext_modules=cythonize(extensions, language_level=3, include_path=["src"],
                            compiler_directives={"embedsignature": True}))
