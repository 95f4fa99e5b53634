"""The classroom: homework (classes, assignments, grades) and live sessions."""
