class Model:
    def save(self):
        return "saved"
