"""Council documents (付議事項 as DOCX and PDF, with the flow diagram) and the 個人情報ファイル簿 (XLSX, CSV).

:mod:`.agenda` builds one neutral list of blocks (paragraphs and tables whose segments know whether they
are changed); :mod:`.docx_writer` and :mod:`.pdf_writer` render the same blocks, so both documents mark
exactly the same parts in bold and underline.
"""
