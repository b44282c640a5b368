def venv_lib(): pass
