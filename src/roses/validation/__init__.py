"""Checks a whole data folder with every reader the book uses, listing every problem at once."""
