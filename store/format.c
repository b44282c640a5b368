#include "store/format.h"

const uint32_t hg_format_record_size[HG_SEC_COUNT_] = {
    [HG_SEC_STRINGS] = 1,
    [HG_SEC_REPOS] = sizeof(HgRepoRec),
    [HG_SEC_FILES] = sizeof(HgFileRec),
    [HG_SEC_DEFS] = sizeof(HgDefRec),
    [HG_SEC_PARAMS] = sizeof(HgParamRec),
    [HG_SEC_IMPORTS] = sizeof(HgImportRec),
    [HG_SEC_CALLS] = sizeof(HgCallRec),
    [HG_SEC_BINDS] = sizeof(HgBindRec),
    [HG_SEC_DIAGS] = sizeof(HgDiagRec),
    [HG_SEC_STRIDS] = sizeof(uint32_t),
    [HG_SEC_EDGES] = sizeof(HgEdgeRec),
    [HG_SEC_CALLERS] = sizeof(uint32_t),
    [HG_SEC_BLOCKCRCS] = sizeof(uint32_t),
};
