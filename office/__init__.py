"""Decree 30/2020 formatting shared by every document (decisions, letters, minutes).

`dates` (ngày 05 tháng 02 năm 2027, the place-date line, the blanks of undated drafts),
`numbers` (01 … 09, `Số: 05/QĐ-UBND`, `89,47 %`), `headers` (the national motto lines),
`wordstyle` (fonts). Plain functions over strings, dates and python-docx: a leaf app that
imports no other app of the project, so any app may import it.
"""
