"""A regular package inside a namespace package."""
