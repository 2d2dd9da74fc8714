// Everything a program using the engine needs.
#pragma once
#include "gradlab/check.h"
#include "gradlab/grad_mode.h"
#include "gradlab/init.h"
#include "gradlab/layers.h"
#include "gradlab/nn.h"
#include "gradlab/ops.h"
#include "gradlab/optim.h"
#include "gradlab/recurrent.h"
#include "gradlab/rng.h"
#include "gradlab/tasks.h"
#include "gradlab/tensor.h"
#include "gradlab/training.h"
