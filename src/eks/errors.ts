// EKS API errors as the service returns them: the type in the x-amzn-ErrorType header and in the
// body, the HTTP status of the service model, and AWS's own wording of the message.

/** An error the EKS API answers with. */
export class EksError extends Error {
  constructor(
    readonly type: string,
    readonly status: number,
    message: string,
    /** Extra members of the error shape (clusterName, nodegroupName, ...). */
    readonly fields: Record<string, string | undefined> = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return { ...Object.fromEntries(Object.entries(this.fields).filter(([, v]) => v !== undefined)), message: this.message };
  }
}

export const notFound = (message: string, fields: Record<string, string | undefined> = {}) => new EksError('ResourceNotFoundException', 404, message, fields);
export const inUse = (message: string, fields: Record<string, string | undefined> = {}) => new EksError('ResourceInUseException', 409, message, fields);
export const invalidParameter = (message: string, fields: Record<string, string | undefined> = {}) => new EksError('InvalidParameterException', 400, message, fields);
export const invalidRequest = (message: string, fields: Record<string, string | undefined> = {}) => new EksError('InvalidRequestException', 400, message, fields);
export const badRequest = (message: string) => new EksError('BadRequestException', 400, message);
export const serverError = (message: string) => new EksError('ServerException', 500, message);

export const clusterNotFound = (name: string) => notFound(`No cluster found for name: ${name}.`, { clusterName: name });
export const nodegroupNotFound = (cluster: string, name: string) => notFound(`No node group found for name: ${name}.`, { clusterName: cluster, nodegroupName: name });
