def dotvenv(): pass
