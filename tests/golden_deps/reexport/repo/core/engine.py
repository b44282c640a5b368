def run():
    return "engine"
