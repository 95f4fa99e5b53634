"""The classroom's pages: homework (classes, assignments, grades) and live sessions."""
