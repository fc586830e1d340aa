import GigaImage
print("gigascale")
