def windowed(): pass
