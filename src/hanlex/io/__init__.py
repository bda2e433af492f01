"""Reading users' files: opening and decompressing (`files`), corpora (`corpus`),
and scoring a segmentation against gold (`evaluate`)."""
