"""What a model is: its feature templates (`templates`), labels and tagsets, the
Model itself (`model`), how it is stored (`fileformat`) and how it decodes
(`decoder`)."""
from ..errors import ModelFormatError
from .model import Model, default_model_path, model_file

__all__ = ["Model", "ModelFormatError", "default_model_path", "model_file"]
