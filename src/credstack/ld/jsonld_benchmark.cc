#include <benchmark/benchmark.h>

#include "credstack/ld/jsonld.h"
