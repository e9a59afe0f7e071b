#include <gtest/gtest.h>

#include "models/cpu/isa.h"

using namespace oobsim;

TEST(Decode, AddiWithImmediate) {
    DecodedInsn d = decode(0x00500093);  // addi x1, x0, 5
    EXPECT_EQ(d.op, Op::ADDI);
    EXPECT_EQ(d.rd, 1);
    EXPECT_EQ(d.imm, 5);
}
