"""Evaluation of analyzers against hand-made gold annotations."""
