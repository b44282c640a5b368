class AppError(Exception):
    pass


class NotFound(AppError):
    pass
