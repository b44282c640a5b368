def cached2(): pass
