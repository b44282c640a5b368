def tool(): pass
