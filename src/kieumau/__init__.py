"""kieumau: the model commune/ward police program, from criteria to recognition."""
