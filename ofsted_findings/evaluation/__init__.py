"""Accuracy against gold: scores (precision, recall, agreement) and the scoring of extracted rows
against gold made by reading."""
