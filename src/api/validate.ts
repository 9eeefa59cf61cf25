// zod validation for routes (@hono/zod-validator), answering failures with the common 400 problem.
import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import type { z } from "zod";
import { validationProblem } from "./problem";

export const validate = <T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) =>
  zValidator(target, schema, (result) => {
    if (!result.success) throw validationProblem(result.error as unknown as z.ZodError, target);
  });
