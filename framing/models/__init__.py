"""Trained models: the Punkt sentence parameters and the loaded-sentence classifier."""
