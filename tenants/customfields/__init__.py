"""Custom fields: admin-defined fields on CRM objects, typed values in the record's ``custom`` column, list
columns and saved views. Objects adopt them through ``registry``; see docs/custom-fields.md."""
