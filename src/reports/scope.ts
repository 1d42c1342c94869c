/** Who a report covers: one employee (by id), or everyone in a department, or everyone. */
export interface EmployeeScope {
  employeeId?: number
  department?: string
}
