#include "gs_tiff.h"
