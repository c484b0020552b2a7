/** The fixed numbers of the experiment: Adam's constants and MNIST's shapes and sizes. */

export const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;
export const CLASS_COUNT = 10;
export const INPUT_SIZE = 784;
export const TRAIN_SET_SIZE = 60000;
export const TEST_SET_SIZE = 10000;
