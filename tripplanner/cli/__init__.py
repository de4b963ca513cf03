"""Command line: parse, call one library function, render, map errors to exit codes."""
