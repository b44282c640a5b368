class Shape:
    def describe(self):
        # Shape has no area: each subclass's override is a candidate
        return self.area()  #> dep Square.area | dep Circle.area


class Square(Shape):
    def area(self):
        return 4


class Circle(Shape):
    def area(self):
        return 3
