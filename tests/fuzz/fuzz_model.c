/* fuzz_model - the model file loader (model_load; nnpredict -m, man 1 nnfit),
 * the input taken as it is: the checksum line guards the body, so most
 * mutations end there; see fuzz_model_body for the body. */
#include "model_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    model_check(fuzz_file(data, size, ".model"), data, size);
    return 0;
}
